FROM ruby:3.3.6-slim
RUN gem install nokogiri:1.16.8 -- --use-system-libraries --with-xml2-config=/usr/bin/xml2-config
RUN gem install pg:1.5.9 --use-system-libraries true
RUN gem i --install-dir /opt/gems puma:6.5.0
