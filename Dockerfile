# One image for every vcc service: docker run vcc server | node | sp-node
# Build stage: the Maven wrapper, as on a developer machine.
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY common-api/pom.xml common-api/
COPY ovf/pom.xml ovf/
COPY service-support/pom.xml service-support/
COPY datapath/pom.xml datapath/
COPY vcc-node/pom.xml vcc-node/
COPY sp-node/pom.xml sp-node/
COPY vcc-server/pom.xml vcc-server/
COPY e2e-tests/pom.xml e2e-tests/
RUN ./mvnw -q -B dependency:go-offline -DexcludeReactor=true || true
COPY . .
RUN ./mvnw -q -B -DskipTests package \
 && mkdir /out \
 && cp vcc-server/target/vcc-server-*-exec.jar /out/vcc-server.jar \
 && cp vcc-node/target/vcc-node-*-exec.jar /out/vcc-node.jar \
 && cp sp-node/target/sp-node-*-exec.jar /out/sp-node.jar

# Run stage: a JRE 21, so the services use virtual threads.
FROM eclipse-temurin:21-jre
RUN useradd --system --home /var/lib/vcc --create-home vcc \
 && mkdir -p /var/lib/vcc-trust /var/lib/vcc-ca && chown vcc /var/lib/vcc-trust /var/lib/vcc-ca
COPY --from=build /out/ /opt/vcc/
COPY docker/entrypoint.sh /opt/vcc/entrypoint.sh
USER vcc
ENV VCC_HOME=/var/lib/vcc
VOLUME /var/lib/vcc
EXPOSE 8080 8081 8082 8083
ENTRYPOINT ["/opt/vcc/entrypoint.sh"]
CMD ["server"]
