# want: 3 4
FROM ruby:3.3.6-slim
RUN gem i rake
RUN gem install --no-document nokogiri -- --use-system-libraries
