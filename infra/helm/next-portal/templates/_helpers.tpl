{{/* The chart's name, truncated to Kubernetes' 63 characters. */}}
{{- define "next-portal.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: the release name alone when it already contains the chart's name. */}}
{{- define "next-portal.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "next-portal.selectorLabels" -}}
app.kubernetes.io/name: {{ include "next-portal.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "next-portal.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "next-portal.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: next-portal
{{- end }}

{{- define "next-portal.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "next-portal.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The environment variables each secret concern carries, from the values given (empty ones left out).
A concern whose map is empty and has no existingSecret is off.
*/}}
{{- define "next-portal.secretData" -}}
{{- $s := .Values.secrets -}}
{{- $data := dict
  "database" (dict "DATABASE_URL" $s.database.url)
  "slack" (dict "SLACK_BOT_TOKEN" $s.slack.botToken "SLACK_SIGNING_SECRET" $s.slack.signingSecret "SLACK_APP_TOKEN" $s.slack.appToken)
  "teams" (dict "MICROSOFT_APP_ID" $s.teams.appId "MICROSOFT_APP_PASSWORD" $s.teams.appPassword "MICROSOFT_APP_TENANT_ID" $s.teams.tenantId "MICROSOFT_APP_TYPE" $s.teams.appType)
  "llm" (dict "OPENAI_API_KEY" $s.llm.apiKey "OPENAI_BASE_URL" $s.llm.baseUrl)
  "neo4j" (dict "NEO4J_PASSWORD" $s.neo4j.password)
  "webhook" (dict "PORTAL_WEBHOOK_TOKEN" $s.webhook.token)
-}}
{{- $result := dict -}}
{{- range $concern, $values := $data -}}
{{- $kept := dict -}}
{{- range $key, $value := $values -}}
{{- if $value }}{{- $_ := set $kept $key $value -}}{{- end -}}
{{- end -}}
{{- $_ := set $result $concern $kept -}}
{{- end -}}
{{- toYaml $result -}}
{{- end }}

{{/* The Secret each concern reads from: its existingSecret, the one the chart creates, or "" when it is off. */}}
{{- define "next-portal.secretName" -}}
{{- $root := index . 0 -}}
{{- $concern := index . 1 -}}
{{- $settings := index $root.Values.secrets $concern -}}
{{- $data := index (include "next-portal.secretData" $root | fromYaml) $concern -}}
{{- if $settings.existingSecret -}}
{{- $settings.existingSecret -}}
{{- else if $data -}}
{{- printf "%s-%s" (include "next-portal.fullname" $root) $concern -}}
{{- end -}}
{{- end }}

{{- define "next-portal.publicUrl" -}}
{{- if .Values.ingress.enabled -}}
{{- printf "%s://%s" (ternary "https" "http" .Values.ingress.tls.enabled) .Values.ingress.host -}}
{{- end -}}
{{- end }}

{{/* Refuse what cannot work, with what to change. */}}
{{- define "next-portal.validate" -}}
{{- $database := include "next-portal.secretName" (list . "database") -}}
{{- $replicas := ternary .Values.autoscaling.maxReplicas .Values.replicaCount .Values.autoscaling.enabled -}}
{{- if and (gt (int $replicas) 1) (not $database) -}}
{{- fail "next-portal: more than one replica needs PostgreSQL: set secrets.database.url or secrets.database.existingSecret (the embedded PGlite store is one process's), or set replicaCount: 1" -}}
{{- end -}}
{{- if and .Values.neo4j.url (not (include "next-portal.secretName" (list . "neo4j"))) -}}
{{- fail "next-portal: neo4j.url is set but Neo4j has no password: set secrets.neo4j.password or secrets.neo4j.existingSecret" -}}
{{- end -}}
{{- if and .Values.ingress.enabled (not .Values.ingress.host) -}}
{{- fail "next-portal: ingress.host is required when ingress.enabled is true" -}}
{{- end -}}
{{- end }}
