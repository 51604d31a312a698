{{/*
Every value reaches the YAML through toYaml or toJson, never pasted into the text: names, labels and
annotations holding quotes, colons, newlines or {{ }} come out as data.
*/}}

{{/* The objects' name: the model's name (the release name model-canary gives helm template). */}}
{{- define "mc.name" -}}
{{- .Release.Name | trunc 53 | trimSuffix "-" -}}
{{- end -}}

{{- define "mc.serviceAccountName" -}}
{{- .Values.serviceAccount.name | default (include "mc.name" .) -}}
{{- end -}}

{{/* Labels that find the model's pods, whatever their track (the Service, the NetworkPolicy). */}}
{{- define "mc.modelSelector" -}}
app.kubernetes.io/name: {{ .Values.model.name | toJson }}
app.kubernetes.io/instance: {{ .Release.Name | toJson }}
{{- end -}}

{{/* Labels that find this track's pods (the Deployment, its PDB). */}}
{{- define "mc.selector" -}}
{{ include "mc.modelSelector" . }}
track: {{ .Values.track | toJson }}
{{- end -}}

{{/* The labels every object carries: the user's extra labels, then ours (ours win). */}}
{{- define "mc.labelMap" -}}
{{- $ours := dict
  "app.kubernetes.io/name" .Values.model.name
  "app.kubernetes.io/instance" .Release.Name
  "app.kubernetes.io/version" .Values.model.version
  "app.kubernetes.io/component" "model-server"
  "app.kubernetes.io/managed-by" "model-canary"
  "helm.sh/chart" (printf "%s-%s" .Chart.Name .Chart.Version)
  "track" .Values.track -}}
{{- merge $ours (deepCopy .Values.labels) | toYaml -}}
{{- end -}}

{{/* metadata of an object named .name (default: the model's name). Call with (dict "root" $ "name" ...). */}}
{{- define "mc.metadata" -}}
{{- $root := .root -}}
name: {{ .name | default (include "mc.name" $root) | toJson }}
namespace: {{ $root.Release.Namespace | toJson }}
labels:
  {{- include "mc.labelMap" $root | nindent 2 }}
{{- with $root.Values.annotations }}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/*
What model-canary sets and values.yaml leaves empty (so values.yaml passes values.schema.json on its own): the
templates refuse to render without it.
*/}}
{{- define "mc.checkRequired" -}}
{{- $_ := required "model.name is empty: model-canary sets it from the model file's model.name (with helm alone: --set model.name=...)" .Values.model.name -}}
{{- $_ = required "model.version is empty: model-canary sets it from the model file's model.version (with helm alone: --set model.version=...)" .Values.model.version -}}
{{- $_ = required "image.repository is empty: model-canary sets it from the model file's image.repository" .Values.image.repository -}}
{{- $r := .Values.resources -}}
{{- if not (and $r.requests $r.limits) -}}
{{- fail "resources needs requests (cpu, memory) and limits (memory at least): set render.values.resources in the model file, so the scheduler reserves what the model needs and a leak cannot starve the node" -}}
{{- end -}}
{{- end -}}

{{/* The image: repository@digest, or repository:tag when there is no digest. */}}
{{- define "mc.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else if .Values.image.tag -}}
{{- printf "%s:%s" .Values.image.repository .Values.image.tag -}}
{{- else -}}
{{- fail "image.digest (or image.tag) is required: model-canary sets it from the image it built" -}}
{{- end -}}
{{- end -}}

{{/* Requests and limits, with the GPUs added to the limits. */}}
{{- define "mc.resources" -}}
{{- $resources := deepCopy .Values.resources -}}
{{- if gt (int .Values.gpu.count) 0 -}}
{{- $_ := set $resources.limits .Values.gpu.resourceName (int .Values.gpu.count) -}}
{{- end -}}
{{- toYaml $resources -}}
{{- end -}}

{{- define "mc.nodeSelector" -}}
{{- $selector := deepCopy .Values.nodeSelector -}}
{{- if gt (int .Values.gpu.count) 0 -}}
{{- $selector = merge $selector .Values.gpu.nodeSelector -}}
{{- end -}}
{{- with $selector -}}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end -}}
{{- end -}}

{{- define "mc.tolerations" -}}
{{- $tolerations := .Values.tolerations -}}
{{- if gt (int .Values.gpu.count) 0 -}}
{{- $tolerations = concat $tolerations .Values.gpu.tolerations -}}
{{- end -}}
{{- with $tolerations -}}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end -}}
{{- end -}}

{{/* The restricted Pod Security profile, at pod and container level. */}}
{{- define "mc.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
fsGroup: {{ .Values.securityContext.fsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "mc.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
privileged: false
readOnlyRootFilesystem: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* The annotations a Prometheus scraping through Kubernetes service discovery reads: the server's metrics endpoint. */}}
{{- define "mc.scrapeAnnotations" -}}
{{- dict "prometheus.io/scrape" "true" "prometheus.io/port" (printf "%d" (int .Values.serving.port)) "prometheus.io/path" .Values.monitoring.path | toYaml -}}
{{- end -}}

{{/*
Environment: in deployment mode first MODEL_TRACK, the pod's own track label through the downward API (so the
canary's copy, labelled track: canary, says canary; the server labels its metrics with it); the queue's Redis by
Secret reference when queue.secretName is set; .extra (a list of variables, the worker's); then plain values, then
Secrets by reference.
*/}}
{{- define "mc.env" -}}
{{- $env := list -}}
{{- if eq .Values.mode "deployment" -}}
{{- $env = append $env (dict "name" "MODEL_TRACK" "valueFrom" (dict "fieldRef" (dict "fieldPath" "metadata.labels['track']"))) -}}
{{- end -}}
{{- with .Values.queue.secretName -}}
{{- $env = append $env (dict "name" "REDIS_URL" "valueFrom" (dict "secretKeyRef" (dict "name" . "key" $.Values.queue.urlKey))) -}}
{{- $env = append $env (dict "name" "REDIS_PASSWORD" "valueFrom" (dict "secretKeyRef" (dict "name" . "key" $.Values.queue.passwordKey))) -}}
{{- end -}}
{{- with .Values.queue.name -}}
{{- $env = append $env (dict "name" "MODEL_QUEUE" "value" .) -}}
{{- end -}}
{{- range .extra -}}
{{- $env = append $env . -}}
{{- end -}}
{{- range .Values.env -}}
{{- $env = append $env (dict "name" .name "value" .value) -}}
{{- end -}}
{{- range .Values.secretEnv -}}
{{- $ref := dict "name" .secretName "key" .key -}}
{{- if hasKey . "optional" -}}{{- $_ := set $ref "optional" .optional -}}{{- end -}}
{{- $env = append $env (dict "name" .name "valueFrom" (dict "secretKeyRef" $ref)) -}}
{{- end -}}
{{- with $env -}}
env:
  {{- toYaml . | nindent 2 }}
{{- end -}}
{{- end -}}

{{- define "mc.envFrom" -}}
envFrom:
  - configMapRef:
      name: {{ printf "%s-settings" (include "mc.name" .) | toJson }}
{{- range .Values.envFromSecrets }}
  - secretRef:
      name: {{ . | toJson }}
{{- end }}
{{- end -}}

{{- define "mc.volumeMounts" -}}
volumeMounts:
  - name: tmp
    mountPath: /tmp
{{- range .Values.writableDirs }}
  - name: {{ .name | toJson }}
    mountPath: {{ .mountPath | toJson }}
{{- end }}
{{- end -}}

{{- define "mc.volumes" -}}
{{- $tmp := dict "sizeLimit" .Values.tmp.sizeLimit -}}
{{- if .Values.tmp.medium }}{{ $_ := set $tmp "medium" .Values.tmp.medium }}{{ end -}}
volumes:
  - name: tmp
    emptyDir: {{ $tmp | toJson }}
{{- range .Values.writableDirs }}
  - name: {{ .name | toJson }}
    emptyDir: {{ (hasKey . "sizeLimit" | ternary (dict "sizeLimit" .sizeLimit) dict) | toJson }}
{{- end }}
{{- end -}}

{{/* An HTTP probe of .path on .port (a port name or number). */}}
{{- define "mc.httpGet" -}}
httpGet:
  path: {{ .path | toJson }}
  port: {{ .port | toJson }}
{{- end -}}
