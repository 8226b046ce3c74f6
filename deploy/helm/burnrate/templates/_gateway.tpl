{{/* The gateway's config files, in --config order (later files merge into earlier ones). */}}
{{- define "burnrate.gatewayConfigs" -}}
{{- $files := list "otelcol.yaml" "gateway.yaml" -}}
{{- if .Values.gateway.auth.enabled }}{{ $files = append $files "gateway-auth.yaml" }}{{ end -}}
{{- if .Values.gateway.remoteWrite.enabled }}{{ $files = append $files "remote-write.yaml" }}{{ end -}}
{{- join "," $files -}}
{{- end -}}

{{/* --set of service.extensions: the union of every file's list. The Collector replaces a list
     when it merges files, so the last file's list alone would drop the others' extensions. */}}
{{- define "burnrate.extensionsFlag" -}}
{{- $union := list -}}
{{- range splitList "," .files -}}
{{- $cfg := include "burnrate.collectorFile" (dict "root" $.root "name" .) | fromYaml -}}
{{- $ext := dig "service" "extensions" "" $cfg -}}
{{- if kindIs "slice" $ext }}{{ $union = concat $union $ext | uniq }}{{ end -}}
{{- end -}}
{{- printf "--set=service::extensions=[%s]" (join ", " $union) -}}
{{- end -}}

{{- define "burnrate.gatewayEnv" -}}
{{ include "burnrate.collectorEnv" . }}
{{- /* The pod: each gateway's counters are its own share of the spend, never merged. */}}
- name: BURNRATE_COLLECTOR_INSTANCE
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: BURNRATE_MAX_SERIES
  value: {{ .Values.collector.maxSeries | quote }}
- name: BURNRATE_STORAGE_DIR
  value: /var/lib/burnrate-gateway
{{- /* The ledger's queue (collector/otelcol.yaml): on the same volume, not the read-only root. */}}
- name: BURNRATE_LEDGER_QUEUE_DIR
  value: /var/lib/burnrate-gateway/ledger
- name: GOGC
  value: {{ .Values.gateway.goGC | quote }}
- name: GOMEMLIMIT
  value: {{ .Values.gateway.goMemLimit | quote }}
{{- with .Values.gateway.auth }}
{{- if .enabled }}
- name: BURNRATE_OTLP_TOKEN_FILE
  value: /etc/burnrate/otlp-token/{{ .tokenSecret.key }}
- name: BURNRATE_OTLP_TLS_CERT_FILE
  value: /etc/burnrate/otlp-tls/tls.crt
- name: BURNRATE_OTLP_TLS_KEY_FILE
  value: /etc/burnrate/otlp-tls/tls.key
{{- end }}
{{- end }}
{{- with .Values.gateway.remoteWrite }}
{{- if .enabled }}
- name: BURNRATE_METRICS_EXPORTERS
  value: "[prometheus, prometheus_remote_write]"
- name: BURNRATE_REMOTE_WRITE_URL
  value: {{ .url | quote }}
{{- if .tenant }}
- name: BURNRATE_REMOTE_WRITE_TENANT
  value: {{ .tenant | quote }}
{{- end }}
{{- if eq .auth.type "basic" }}
- name: BURNRATE_REMOTE_WRITE_AUTH
  value: basicauth/remote_write
- name: BURNRATE_REMOTE_WRITE_USERNAME
  value: {{ .auth.username | quote }}
- name: BURNRATE_REMOTE_WRITE_PASSWORD_FILE
  value: /etc/burnrate/remote-write/{{ .auth.secret.key }}
{{- else if eq .auth.type "bearer" }}
- name: BURNRATE_REMOTE_WRITE_AUTH
  value: bearertokenauth/remote_write
- name: BURNRATE_REMOTE_WRITE_TOKEN_FILE
  value: /etc/burnrate/remote-write/{{ .auth.secret.key }}
{{- end }}
{{- if .caSecret.name }}
- name: BURNRATE_REMOTE_WRITE_CA_FILE
  value: /etc/burnrate/remote-write-ca/{{ .caSecret.key }}
{{- end }}
{{- end }}
{{- end }}
{{- include "burnrate.extraEnv" .Values.gateway.env }}
{{- end -}}

{{- define "burnrate.gatewayPodTemplate" -}}
{{- $ctx := dict "root" . "component" "gateway" -}}
metadata:
  labels:
    {{- include "burnrate.labels" $ctx | nindent 4 }}
  annotations:
    checksum/config: {{ include (print $.Template.BasePath "/collector-config.yaml") . | sha256sum }}
    {{- include "burnrate.scrapeAnnotations" (dict "root" . "port" 8889) | nindent 4 }}
    {{- with .Values.gateway.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  automountServiceAccountToken: false
  securityContext:
    {{- toYaml .Values.podSecurityContext | nindent 4 }}
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.gateway.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  terminationGracePeriodSeconds: 30
  containers:
    - name: collector
      image: {{ include "burnrate.collectorImage" . | quote }}
      imagePullPolicy: {{ .Values.collector.image.pullPolicy }}
      args:
        {{- $files := include "burnrate.gatewayConfigs" . }}
        {{- range splitList "," $files }}
        - --config=/etc/burnrate/config/{{ . }}
        {{- end }}
        - {{ include "burnrate.extensionsFlag" (dict "root" . "files" $files) | quote }}
      env:
        {{- include "burnrate.gatewayEnv" . | nindent 8 }}
      ports:
        {{- include "burnrate.collectorPorts" . | nindent 8 }}
      {{- include "burnrate.collectorProbes" . | nindent 6 }}
      resources:
        {{- toYaml .Values.gateway.resources | nindent 8 }}
      securityContext:
        {{- toYaml .Values.containerSecurityContext | nindent 8 }}
      volumeMounts:
        - { name: config, mountPath: /etc/burnrate/config, readOnly: true }
        - { name: queue, mountPath: /var/lib/burnrate-gateway }
        {{- if .Values.gateway.auth.enabled }}
        - { name: otlp-token, mountPath: /etc/burnrate/otlp-token, readOnly: true }
        - { name: otlp-tls, mountPath: /etc/burnrate/otlp-tls, readOnly: true }
        {{- end }}
        {{- with .Values.gateway.remoteWrite }}
        {{- if and .enabled (ne .auth.type "none") }}
        - { name: remote-write, mountPath: /etc/burnrate/remote-write, readOnly: true }
        {{- end }}
        {{- if and .enabled .caSecret.name }}
        - { name: remote-write-ca, mountPath: /etc/burnrate/remote-write-ca, readOnly: true }
        {{- end }}
        {{- end }}
  volumes:
    - name: config
      configMap:
        name: {{ include "burnrate.fullname" . }}-gateway
    {{- if not .Values.gateway.persistence.enabled }}
    - name: queue
      emptyDir:
        sizeLimit: {{ .Values.gateway.queueSizeLimit }}
    {{- end }}
    {{- if .Values.gateway.auth.enabled }}
    - name: otlp-token
      secret:
        secretName: {{ .Values.gateway.auth.tokenSecret.name }}
    - name: otlp-tls
      secret:
        secretName: {{ .Values.gateway.auth.tlsSecret }}
    {{- end }}
    {{- with .Values.gateway.remoteWrite }}
    {{- if and .enabled (ne .auth.type "none") }}
    - name: remote-write
      secret:
        secretName: {{ .auth.secret.name }}
    {{- end }}
    {{- if and .enabled .caSecret.name }}
    - name: remote-write-ca
      secret:
        secretName: {{ .caSecret.name }}
    {{- end }}
    {{- end }}
  {{- with .Values.gateway.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.gateway.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.gateway.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  topologySpreadConstraints:
    {{- with .Values.gateway.topologySpreadConstraints }}
    {{- toYaml . | nindent 4 }}
    {{- else }}
    - maxSkew: 1
      topologyKey: kubernetes.io/hostname
      whenUnsatisfiable: ScheduleAnyway
      labelSelector:
        matchLabels:
          {{- include "burnrate.selectorLabels" $ctx | nindent 10 }}
    {{- end }}
{{- end -}}
