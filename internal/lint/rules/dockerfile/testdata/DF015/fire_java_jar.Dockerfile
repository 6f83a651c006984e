# want: 2
FROM eclipse-temurin:21.0.5_11-jre
COPY target/app.jar /app/app.jar
USER 10001
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
