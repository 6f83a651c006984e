# A Java 8 update tag names the release and build exactly.
FROM adoptopenjdk/openjdk8:jdk8u202-b08-alpine-slim AS a
FROM openjdk:8u342-jre
