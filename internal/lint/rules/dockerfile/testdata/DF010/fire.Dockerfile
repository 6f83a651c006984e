# want: 2
FROM debian:12.8 AS scratch
