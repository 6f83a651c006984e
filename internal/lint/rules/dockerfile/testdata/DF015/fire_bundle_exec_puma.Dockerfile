# want: 2
FROM ruby:3.3.6-slim
WORKDIR /app
COPY . .
RUN bundle install
USER 10001
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
