{{/* Names: <release>-burnrate, or the release name when it already contains "burnrate". */}}
{{- define "burnrate.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "burnrate.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels of every object; "component" adds app.kubernetes.io/component. */}}
{{- define "burnrate.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{ include "burnrate.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "burnrate.selectorLabels" -}}
app.kubernetes.io/name: {{ include "burnrate.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "burnrate.collectorImage" -}}
{{- $img := .Values.collector.image -}}
{{- printf "%s:%s" $img.repository (default .Chart.AppVersion $img.tag) -}}
{{- end -}}

{{/* The gateways' headless Service, which the agents resolve (one address per gateway). */}}
{{- define "burnrate.gatewayHeadless" -}}
{{- printf "%s-gateway-headless" (include "burnrate.fullname" .) -}}
{{- end -}}

{{/* The Collector configs the chart carries (files/collector/, synced from collector/). */}}
{{- define "burnrate.collectorFile" -}}
{{- $f := printf "files/collector/%s" .name -}}
{{- $content := .root.Files.Get $f -}}
{{- if not $content -}}
{{- fail (printf "the chart has no %s: run `node scripts/sync-chart-files.ts` (it copies collector/%s)" $f .name) -}}
{{- end -}}
{{- $content -}}
{{- end -}}

{{/* Environment shared by both Collector tiers: listen on the pod's interfaces. */}}
{{- define "burnrate.collectorEnv" -}}
- name: BURNRATE_OTLP_GRPC_ENDPOINT
  value: "0.0.0.0:4317"
- name: BURNRATE_OTLP_HTTP_ENDPOINT
  value: "0.0.0.0:4318"
- name: BURNRATE_METRICS_ENDPOINT
  value: "0.0.0.0:8889"
- name: BURNRATE_HEALTH_ENDPOINT
  value: "0.0.0.0:13133"
- name: BURNRATE_TELEMETRY_HOST
  value: "0.0.0.0"
- name: BURNRATE_TELEMETRY_PORT
  value: "8888"
- name: BURNRATE_LOG_LEVEL
  value: {{ .Values.collector.logLevel | quote }}
- name: BURNRATE_SERIES_EXPIRATION
  value: {{ .Values.collector.seriesExpiration | quote }}
{{- end -}}

{{/* User env (a map) as a container env list, sorted by name. */}}
{{- define "burnrate.extraEnv" -}}
{{- range $k, $v := . }}
- name: {{ $k }}
  value: {{ $v | toString | quote }}
{{- end }}
{{- end -}}

{{- define "burnrate.collectorPorts" -}}
- { name: otlp-grpc, containerPort: 4317, protocol: TCP }
- { name: otlp-http, containerPort: 4318, protocol: TCP }
- { name: metrics, containerPort: 8889, protocol: TCP }
- { name: telemetry, containerPort: 8888, protocol: TCP }
- { name: health, containerPort: 13133, protocol: TCP }
{{- end -}}

{{- define "burnrate.collectorProbes" -}}
livenessProbe:
  httpGet: { path: /, port: health }
  periodSeconds: 10
readinessProbe:
  httpGet: { path: /, port: health }
  periodSeconds: 5
{{- end -}}

{{/* prometheus.io annotations for Prometheus setups without the operator. */}}
{{- define "burnrate.scrapeAnnotations" -}}
{{- if .root.Values.metrics.podAnnotations -}}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .port | quote }}
prometheus.io/path: /metrics
{{- end -}}
{{- end -}}

{{/* The evaluator Service's DNS names, and evaluator.allowedHosts. */}}
{{- define "burnrate.evaluatorHosts" -}}
{{- $svc := printf "%s-budget-evaluator" (include "burnrate.fullname" .) -}}
{{- $ns := .Release.Namespace -}}
{{- $hosts := list $svc (printf "%s.%s" $svc $ns) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s.svc.cluster.local" $svc $ns) -}}
{{- join "," (concat $hosts .Values.evaluator.allowedHosts) -}}
{{- end -}}
