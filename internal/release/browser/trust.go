package browser

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"io"
	"os"
)

// maxCertFile bounds what ReadCertificates reads: a certificate chain is a
// few kilobytes.
const maxCertFile = 1 << 20

// ReadCertificates reads the PEM certificates in path, for Options.Trust:
// the proxy's own certificate file (self-signed, or a chain that carries
// its CA).
func ReadCertificates(path string) ([]*x509.Certificate, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCertFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if len(data) > maxCertFile {
		return nil, fmt.Errorf("%s: more than %d bytes; a certificate file is a few kilobytes", path, maxCertFile)
	}
	var certs []*x509.Certificate
	for line := 1; len(data) > 0; {
		block, rest := pem.Decode(data)
		if block == nil {
			break
		}
		at := line + countLines(data[:bytes.Index(data, []byte("-----BEGIN"))])
		line += countLines(data[:len(data)-len(rest)])
		data = rest
		if block.Type != "CERTIFICATE" {
			continue // the key, when cert and key share a file
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, at, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("%s:1: no PEM certificate (-----BEGIN CERTIFICATE-----) in it", path)
	}
	return certs, nil
}

func countLines(b []byte) int {
	n := 0
	for _, c := range b {
		if c == '\n' {
			n++
		}
	}
	return n
}

// spki is how Chromium's --ignore-certificate-errors-spki-list names a
// certificate: the base64 SHA-256 of its public key.
func spki(c *x509.Certificate) string {
	sum := sha256.Sum256(c.RawSubjectPublicKeyInfo)
	return base64.StdEncoding.EncodeToString(sum[:])
}
