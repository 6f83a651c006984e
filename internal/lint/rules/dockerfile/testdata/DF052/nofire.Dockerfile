FROM ruby:3.3.6-slim
RUN gem install bundler -v 2.5.23
RUN gem install rails:7.2.2
