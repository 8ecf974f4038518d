# One image per service, from the fat jar built by Maven:
#   mvn -B package -DskipTests
#   docker build --build-arg MODULE=users-verticle --build-arg SERVICE=users -t shopmesh-users .
# (MODULE/SERVICE pairs: gateway/gateway, users-verticle/users, order-verticle/orders,
#  inventory-verticle/inventory.) The Helm chart mounts its own config over /app/conf.
FROM eclipse-temurin:17-jre

ARG MODULE
ARG SERVICE

RUN groupadd --system --gid 10001 shopmesh \
 && useradd --system --uid 10001 --gid shopmesh --home-dir /app --shell /usr/sbin/nologin shopmesh

WORKDIR /app
COPY ${MODULE}/target/${MODULE}.jar /app/service.jar
COPY conf/${SERVICE}.yaml /app/conf/service.yaml
COPY conf/logback.xml /app/conf/logback.xml

# work pools (password hashing, imports) at nice 19, below the event loops; as a non-root user the JVM
# warns once that raising priorities needs permission: lowering them does not. The Tier4 thresholds
# (4x the defaults) keep the optimising JIT off code that runs only while the service starts, and Mac not
# inlined spares it compiling the PBKDF2 loop of PostgreSQL's SCRAM authentication whole
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError -XX:ThreadPriorityPolicy=1 -XX:JavaPriority1_To_OSPriority=19 -XX:Tier4InvocationThreshold=20000 -XX:Tier4CompileThreshold=60000 -XX:Tier4MinInvocationThreshold=2400 -XX:Tier4BackEdgeThreshold=160000 -XX:CompileCommand=quiet -XX:CompileCommand=dontinline,javax/crypto/Mac.* -Dvertx.cacheDirBase=/tmp/vertx-cache"

USER 10001:10001
EXPOSE 8080 8081 8082 8083

# exec form: the JVM is PID 1 and receives SIGTERM itself (graceful drain, exit 0)
ENTRYPOINT ["java", "-jar", "/app/service.jar"]
CMD ["--conf", "/app/conf/service.yaml"]
