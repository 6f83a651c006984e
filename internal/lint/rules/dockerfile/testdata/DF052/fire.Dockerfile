# want: 3
FROM ruby:3.3.6-slim
RUN gem install bundler
