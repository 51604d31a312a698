// Loaded only when github-token is given and the command records a deployment (see src/commands/run.ts).
export { gitHubReporter, type GitHubReport } from './reporter.js';
export { GitHubApi, GitHubApiError, rateLimitWait } from './api.js';
