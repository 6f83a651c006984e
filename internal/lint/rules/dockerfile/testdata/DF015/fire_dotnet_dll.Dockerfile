# want: 2
FROM mcr.microsoft.com/dotnet/aspnet:8.0.11
WORKDIR /app
COPY out/ .
USER 10001
ENTRYPOINT ["dotnet", "app.dll"]
