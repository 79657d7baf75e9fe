{{/*
Names, labels and the pieces every pod of the chart shares. All pods run the same image; only the
entrypoint command (web, worker, beat, migrate) differs.
*/}}

{{- define "werktop.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-scoped base name, at most 40 characters so "<base>-worker-background" fits 63. */}}
{{- define "werktop.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "werktop.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "werktop.selectorLabels" -}}
app.kubernetes.io/name: {{ include "werktop.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "werktop.labels" -}}
helm.sh/chart: {{ include "werktop.chart" . }}
{{ include "werktop.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | trunc 63 | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: werktop
{{- end }}

{{/* Labels of one component: (dict "ctx" $ "component" "web") */}}
{{- define "werktop.componentLabels" -}}
{{ include "werktop.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "werktop.componentSelectorLabels" -}}
{{ include "werktop.selectorLabels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "werktop.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "werktop.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "werktop.image" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{- define "werktop.configMapName" -}}
{{- printf "%s-config" (include "werktop.fullname" .) }}
{{- end }}

{{- define "werktop.secretName" -}}
{{- if .Values.secrets.existingSecret }}
{{- .Values.secrets.existingSecret }}
{{- else }}
{{- printf "%s-secrets" (include "werktop.fullname" .) }}
{{- end }}
{{- end }}

{{- define "werktop.mediaClaimName" -}}
{{- if .Values.media.existingClaim }}
{{- .Values.media.existingClaim }}
{{- else }}
{{- printf "%s-media" (include "werktop.fullname" .) }}
{{- end }}
{{- end }}

{{/*
ALLOWED_HOSTS: the national host, every subdomain of it, the custom municipality hosts of the
Ingress and any extra hosts. Probes bypass the check (tenants.health.HealthMiddleware runs first).
*/}}
{{- define "werktop.allowedHosts" -}}
{{- $hosts := list .Values.platformDomain (printf ".%s" .Values.platformDomain) }}
{{- range .Values.ingress.customHosts }}
{{- $hosts = append $hosts .host }}
{{- end }}
{{- $hosts = concat $hosts .Values.config.extraAllowedHosts }}
{{- $hosts | uniq | join "," }}
{{- end }}

{{/* The non-secret settings, as ConfigMap data (shared by the release ConfigMap and the hook copy). */}}
{{- define "werktop.configData" -}}
DJANGO_SETTINGS_MODULE: {{ .Values.config.djangoSettingsModule | quote }}
PLATFORM_DOMAIN: {{ .Values.platformDomain | quote }}
ALLOWED_HOSTS: {{ include "werktop.allowedHosts" . | quote }}
LOG_FORMAT: {{ .Values.config.logFormat | quote }}
LOG_LEVEL: {{ .Values.config.logLevel | quote }}
MEDIA_ROOT: {{ .Values.media.mountPath | quote }}
PRIVATE_MEDIA_ROOT: {{ .Values.media.privateMountPath | quote }}
PORTAL_PORT: "443"
SECURE_SSL_REDIRECT: {{ .Values.config.secureSslRedirect | toString | quote }}
SECURE_HSTS_SECONDS: {{ .Values.config.hstsSeconds | int64 | toString | quote }}
RATELIMIT_IP_META_KEY: {{ .Values.config.ratelimitIpMetaKey | quote }}
DEFAULT_FROM_EMAIL: {{ .Values.config.defaultFromEmail | quote }}
SENTRY_ENVIRONMENT: {{ .Values.config.sentryEnvironment | quote }}
SENTRY_TRACES_SAMPLE_RATE: {{ .Values.config.sentryTracesSampleRate | toString | quote }}
{{- range $key, $value := .Values.config.extra }}
{{ $key }}: {{ $value | toString | quote }}
{{- end }}
{{- end }}

{{/*
The secret settings (only the ones set). SECRET_KEY: the value from values, else the one already
in the cluster (lookup), else a new random one; memoised in .Values so the release Secret, the
hook copy and the checksums of one render agree.
*/}}
{{- define "werktop.secretKey" -}}
{{- if not .Values.secrets.env.SECRET_KEY }}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (include "werktop.secretName" .) }}
{{- $key := "" }}
{{- if and $existing $existing.data (hasKey $existing.data "SECRET_KEY") }}
{{- $key = index $existing.data "SECRET_KEY" | b64dec }}
{{- else }}
{{- $key = randAlphaNum 64 }}
{{- end }}
{{- $_ := set .Values.secrets.env "SECRET_KEY" $key }}
{{- end }}
{{- .Values.secrets.env.SECRET_KEY }}
{{- end }}

{{- define "werktop.secretData" -}}
SECRET_KEY: {{ include "werktop.secretKey" . | b64enc | quote }}
{{- range $key, $value := .Values.secrets.env }}
{{- if and $value (ne $key "SECRET_KEY") }}
{{ $key }}: {{ $value | toString | b64enc | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/* Pod annotations that roll the pods when the settings change. */}}
{{- define "werktop.checksums" -}}
checksum/config: {{ include "werktop.configData" . | sha256sum | quote }}
{{- if not .Values.secrets.existingSecret }}
checksum/secret: {{ include "werktop.secretData" . | sha256sum | quote }}
{{- end }}
{{- end }}

{{/* Environment from the ConfigMap and the Secret: (dict "ctx" $ "config" name "secret" name) */}}
{{- define "werktop.envFrom" -}}
- configMapRef:
    name: {{ .config }}
- secretRef:
    name: {{ .secret }}
{{- end }}

{{- define "werktop.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.uid }}
runAsGroup: {{ .Values.securityContext.gid }}
fsGroup: {{ .Values.securityContext.gid }}
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "werktop.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.uid }}
runAsGroup: {{ .Values.securityContext.gid }}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop:
    - ALL
{{- end }}

{{/* Writable scratch space: the root filesystem is read-only. /tmp holds the Prometheus
multiprocess files (PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus), beat's pid file and temporary
uploads. */}}
{{- define "werktop.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpVolume.sizeLimit }}
{{- end }}

{{/* The media volume and its mount; callers check .Values.media.enabled. */}}
{{- define "werktop.mediaVolume" -}}
- name: media
  persistentVolumeClaim:
    claimName: {{ include "werktop.mediaClaimName" . }}
{{- end }}

{{/* Public uploads and private files (CVs, reports) in two folders of the one claim: the
private folder is never inside MEDIA_ROOT. */}}
{{- define "werktop.mediaMount" -}}
- name: media
  mountPath: {{ .Values.media.mountPath }}
  subPath: media
- name: media
  mountPath: {{ .Values.media.privateMountPath }}
  subPath: private
{{- end }}

{{- define "werktop.tmpMount" -}}
- name: tmp
  mountPath: /tmp
{{- end }}

{{/*
Pod-level settings shared by every workload: (dict "ctx" $ "scheduling" .Values.web). With
"hook" true (the migration Job) the chart's own ServiceAccount is not used: a pre-install hook
runs before it exists. A ServiceAccount made outside the chart (create false, name set) is.
*/}}
{{- define "werktop.podCommon" -}}
{{- $ctx := .ctx }}
{{- if or (not .hook) (not $ctx.Values.serviceAccount.create) }}
serviceAccountName: {{ include "werktop.serviceAccountName" $ctx }}
{{- end }}
automountServiceAccountToken: false
{{- with $ctx.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- include "werktop.podSecurityContext" $ctx | nindent 2 }}
{{- with .scheduling.nodeSelector | default $ctx.Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .scheduling.tolerations | default $ctx.Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .scheduling.affinity | default $ctx.Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if $ctx.Values.priorityClassName }}
priorityClassName: {{ $ctx.Values.priorityClassName }}
{{- end }}
{{- end }}

{{/* Topology spread over nodes and zones (soft): (dict "ctx" $ "component" "web") */}}
{{- define "werktop.topologySpread" -}}
{{- if .ctx.Values.topologySpread.enabled }}
topologySpreadConstraints:
  {{- range .ctx.Values.topologySpread.topologyKeys }}
  - maxSkew: 1
    topologyKey: {{ . }}
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "werktop.componentSelectorLabels" (dict "ctx" $.ctx "component" $.component) | nindent 8 }}
  {{- end }}
{{- end }}
{{- end }}

{{/* Checks across values that values.schema.json cannot express; included by configmap.yaml. */}}
{{- define "werktop.validate" -}}
{{- $scalers := dict "web" .Values.web.autoscaling }}
{{- range $queue, $worker := .Values.workers }}
{{- $_ := set $scalers (printf "workers.%s" $queue) $worker.autoscaling }}
{{- end }}
{{- range $what, $hpa := $scalers }}
{{- if and $hpa.enabled (gt (int $hpa.minReplicas) (int $hpa.maxReplicas)) }}
{{- fail (printf "%s.autoscaling: minReplicas (%d) is larger than maxReplicas (%d)" $what (int $hpa.minReplicas) (int $hpa.maxReplicas)) }}
{{- end }}
{{- end }}
{{- $budgets := dict "web" .Values.web }}
{{- range $queue, $worker := .Values.workers }}
{{- $_ := set $budgets (printf "workers.%s" $queue) $worker }}
{{- end }}
{{- range $what, $workload := $budgets }}
{{- $pdb := $workload.pdb }}
{{- $fewest := ternary $workload.autoscaling.minReplicas $workload.replicas $workload.autoscaling.enabled | int }}
{{- if and $pdb.enabled (hasKey $pdb "minAvailable") (not (kindIs "string" $pdb.minAvailable)) (ge (int $pdb.minAvailable) $fewest) (gt $fewest 0) }}
{{- fail (printf "%s.pdb: minAvailable %d with at least %d pods would block every node drain; lower it or use maxUnavailable" $what (int $pdb.minAvailable) $fewest) }}
{{- end }}
{{- end }}
{{- range .Values.ingress.customHosts }}
{{- if or (eq .host $.Values.platformDomain) (hasSuffix (printf ".%s" $.Values.platformDomain) .host) }}
{{- fail (printf "ingress.customHosts: %s is already covered by platformDomain and its wildcard" .host) }}
{{- end }}
{{- end }}
{{- end }}
