{{- define "burnrate.agentConfigs" -}}
{{- $files := list "agent.yaml" -}}
{{- if .Values.gateway.auth.enabled }}{{ $files = append $files "agent-auth.yaml" }}{{ end -}}
{{- join "," $files -}}
{{- end -}}

{{- define "burnrate.agentEnv" -}}
{{ include "burnrate.collectorEnv" . }}
{{- /* The node, not the pod: the apps' cumulative counters keep one series across agent restarts. */}}
- name: BURNRATE_COLLECTOR_INSTANCE
  valueFrom:
    fieldRef:
      fieldPath: spec.nodeName
- name: BURNRATE_GATEWAY_ENDPOINT
  value: {{ printf "dns:///%s.%s.svc:4317" (include "burnrate.gatewayHeadless" .) .Release.Namespace | quote }}
- name: BURNRATE_STORAGE_DIR
  value: /var/lib/burnrate-agent
- name: BURNRATE_AGENT_QUEUE_SIZE
  value: {{ .Values.agent.queue.maxRequests | quote }}
- name: GOMEMLIMIT
  value: {{ .Values.agent.goMemLimit | quote }}
{{- if .Values.gateway.auth.enabled }}
- name: BURNRATE_GATEWAY_INSECURE
  value: "false"
- name: BURNRATE_GATEWAY_CA_FILE
  value: /etc/burnrate/gateway-tls/ca.crt
- name: BURNRATE_OTLP_TOKEN_FILE
  value: /etc/burnrate/gateway-token/{{ .Values.gateway.auth.tokenSecret.key }}
{{- end }}
{{- include "burnrate.extraEnv" .Values.agent.env }}
{{- end -}}
