/** The canary after the readiness gate: its revision and Ready pods (what smoke and analysis send to). */
export interface CanaryState {
  revision: string;
  readyPods: string[];
}
