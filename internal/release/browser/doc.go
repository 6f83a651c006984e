// Package browser loads a release's page in headless Chromium, as a
// visitor's browser would, and reports what a person would see go wrong
// that an HTTP check cannot: stylesheets, scripts and images the browser
// blocks as mixed content on an https page (seed 002: an app behind a TLS
// proxy that builds http:// asset URLs), subresources that answer 4xx or
// 5xx or do not load, uncaught exceptions and console errors. It saves a
// screenshot of what rendered.
//
// It drives Debian's chromium over the DevTools protocol (chromedp) and
// needs nothing else: no driver, no Node. Find says where the browser is,
// or ErrNoChromium and how to install it.
package browser
