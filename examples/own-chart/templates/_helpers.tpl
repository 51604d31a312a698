{{/*
Named templates of the example chart. Its naming differs from model-canary's builtin chart on purpose:
the Service and the ConfigMap are <release>-server and <release>-server-config. The Deployment is named
after the release (model.name): model-canary's promote, rollback and status commands look for the stable
Deployment by the model's name (docs/your-own-chart.md).
*/}}

{{- define "iris-server.deploymentName" -}}
{{- .Release.Name | trunc 55 | trimSuffix "-" -}}
{{- end -}}

{{- define "iris-server.serverName" -}}
{{- printf "%s-server" (.Release.Name | trunc 48 | trimSuffix "-") -}}
{{- end -}}

{{- define "iris-server.configName" -}}
{{- printf "%s-config" (include "iris-server.serverName" .) -}}
{{- end -}}

{{/* Labels of every object. */}}
{{- define "iris-server.labels" -}}
app: {{ .Release.Name | quote }}
component: server
app.kubernetes.io/version: {{ .Values.model.version | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | quote }}
{{- end -}}

{{/* Labels that find the server's pods of every track: the Service's selector (never track). */}}
{{- define "iris-server.serverSelector" -}}
app: {{ .Release.Name | quote }}
component: server
{{- end -}}

{{/* Labels that find this track's pods: the Deployment's selector. */}}
{{- define "iris-server.trackSelector" -}}
{{ include "iris-server.serverSelector" . }}
track: {{ .Values.track | quote }}
{{- end -}}

{{- define "iris-server.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | toString) -}}
{{- end -}}
