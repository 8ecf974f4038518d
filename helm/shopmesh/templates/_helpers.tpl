{{/* The chart's name, as used in labels. */}}
{{- define "shopmesh.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The prefix of every object name: <release>-shopmesh, or just <release> when it already contains the chart name. */}}
{{- define "shopmesh.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Object name of one service: <fullname>-<service>. Call with (dict "root" $ "service" "users"). */}}
{{- define "shopmesh.serviceName" -}}
{{- printf "%s-%s" (include "shopmesh.fullname" .root) .service -}}
{{- end -}}

{{- define "shopmesh.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" -}}
{{- end -}}

{{/* Labels shared by every object. */}}
{{- define "shopmesh.commonLabels" -}}
helm.sh/chart: {{ include "shopmesh.chart" . }}
app.kubernetes.io/part-of: shopmesh
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{/* Selector labels of one service. Call with (dict "root" $ "service" "users"). */}}
{{- define "shopmesh.selectorLabels" -}}
app.kubernetes.io/name: {{ include "shopmesh.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .service }}
{{- end -}}

{{/* All labels of one service's objects. */}}
{{- define "shopmesh.labels" -}}
{{ include "shopmesh.commonLabels" .root }}
{{ include "shopmesh.selectorLabels" . }}
{{- end -}}

{{- define "shopmesh.image" -}}
{{- $tag := default .root.Chart.AppVersion .root.Values.image.tag -}}
{{- printf "%s/%s%s:%s" .root.Values.image.registry .root.Values.image.prefix .service $tag -}}
{{- end -}}

{{/* Name of the Secret holding database passwords. */}}
{{- define "shopmesh.postgresSecret" -}}
{{- default (printf "%s-postgres" (include "shopmesh.fullname" .)) .Values.postgres.existingSecret -}}
{{- end -}}

{{- define "shopmesh.redisSecret" -}}
{{- default (printf "%s-redis" (include "shopmesh.fullname" .)) .Values.redis.existingSecret -}}
{{- end -}}

{{- define "shopmesh.adminSecret" -}}
{{- default (printf "%s-admin" (include "shopmesh.fullname" .)) .Values.admin.existingSecret -}}
{{- end -}}

{{- define "shopmesh.serviceAccount" -}}
{{- printf "%s-discovery" (include "shopmesh.fullname" .) -}}
{{- end -}}

{{/* The configuration file of one service (non-secret keys only). Call with (dict "root" $ "service" "users"). */}}
{{- define "shopmesh.serviceConfig" -}}
{{- $v := .root.Values -}}
{{- $svc := index $v.services .service -}}
{{- $redisScheme := ternary "rediss" "redis" $v.redis.tls -}}
{{- $base := dict
  "http" (dict "host" "0.0.0.0" "port" $svc.port "shutdownGrace" "20s")
  "discovery" (dict "backend" "kubernetes" "drainDelay" "3s"
    "kubernetes" (dict "namespace" .root.Release.Namespace "servicePrefix" (printf "%s-" (include "shopmesh.fullname" .root))))
  "redis" (dict "url" (printf "%s://%s:%v" $redisScheme $v.redis.host $v.redis.port) "keyPrefix" $v.redis.keyPrefix)
  "tracing" (dict "otlpEndpoint" $v.tracing.otlpEndpoint "samplingRatio" $v.tracing.samplingRatio)
-}}
{{- if ne .service "gateway" -}}
{{- $db := index $v.postgres .service -}}
{{- $_ := set $base "db" (dict "url" (printf "postgresql://%s@%s:%v/%s" $db.user $v.postgres.host $v.postgres.port $db.database)) -}}
{{- $_ := set $base "kafka" (dict "bootstrap" $v.kafka.bootstrap "topicPrefix" $v.kafka.topicPrefix "partitions" $v.kafka.partitions "replicationFactor" $v.kafka.replicationFactor) -}}
{{- $_ := set $base "auth" (dict "jwksUrl" (printf "http://%s:%v/.well-known/jwks.json" (include "shopmesh.serviceName" (dict "root" .root "service" "users")) $v.services.users.port)) -}}
{{- end -}}
{{- if eq .service "users" -}}
{{- $_ := set $base "jwt" (dict "keysDir" "/etc/shopmesh/jwt" "activeKid" $v.jwt.activeKid "accessTokenTtl" $v.jwt.accessTokenTtl) -}}
{{- $_ := set $base "admin" (dict "email" $v.admin.email) -}}
{{- end -}}
{{- if eq .service "gateway" -}}
{{- $_ := set $base "cors" (dict "origins" $v.gateway.cors.origins) -}}
{{- $_ := set $base "rateLimit" (dict "onRedisDown" $v.gateway.rateLimit.onRedisDown) -}}
{{- end -}}
{{- toYaml (mustMergeOverwrite $base (deepCopy $svc.config)) -}}
{{- end -}}
