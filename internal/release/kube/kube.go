// Package kube releases a project to a Kubernetes cluster the way
// `shipshape deploy` does on one host: render what the project declares
// (kustomize, a Helm chart or plain manifests), set the image, apply it
// server-side, watch the rollout as `kubectl rollout status` does, smoke-
// check it, and undo it by itself, as `kubectl rollout undo` does, when it
// misses its progress deadline or fails the smoke check.
package kube

import (
	"context"
	"io"
	"time"

	"github.com/shipshape/shipshape/internal/release"
)

// Labels shipshape puts on everything it applies: prune finds its own
// objects by them.
const (
	LabelManagedBy = "app.kubernetes.io/managed-by"
	LabelApp       = "dev.shipshape.app"
	FieldManager   = "shipshape"
	// AnnotationPhase on a Job in the rendered set makes it a release
	// command: "pre-deploy" Jobs run to completion before the rollout.
	AnnotationPhase = "dev.shipshape.phase"
)

// Options describe one deploy to a cluster.
type Options struct {
	Source     string   // a kustomization directory, a Helm chart or a directory or file of manifests
	ValueFiles []string // Helm values files
	Set        []string // Helm --set
	Image      string   // set on every container of the rendered workloads whose image has the same repository (or on all, when one repository is used)
	// Tag, without Image, replaces the tag of the workloads' one image
	// repository (the commit `shipshape build` tagged).
	Tag       string
	Namespace string
	CreateNS  bool
	App       string // labels and prune scope (default: the first Deployment's name)
	Prune     bool   // delete objects shipshape applied earlier for App that are gone from the rendered set
	// ProgressDeadline, when set, replaces the workloads' progressDeadlineSeconds.
	ProgressDeadline time.Duration
	// Smoke runs after the rollout completes; an error undoes the rollout.
	// healthPath is the HTTP path the workload's readiness probe requests
	// ("" when it has none): the route the manifests call healthy.
	Smoke func(ctx context.Context, healthPath string) error
	// ReleaseCommand (exec form) runs once in a Job made from the app's pod
	// template, with the new image, before the rollout: a migration.
	ReleaseCommand []string
	// LoadImage, a node's containerd socket, has the image copied into it
	// before the rollout (local clusters: no registry); ImageArchive reads
	// the image as docker save writes it.
	LoadImage    string
	ImageArchive func(ctx context.Context, image string) (io.ReadCloser, error)
	// Timeout bounds the wait for each workload (0: 10 minutes); a
	// Deployment fails sooner when it misses its progress deadline.
	Timeout time.Duration
}

// AnnotationFailed marks the ReplicaSet of a rollout shipshape undid:
// a later rollback skips it.
const AnnotationFailed = "dev.shipshape.failed"

// Result is a finished (or undone) deploy.
type Result struct {
	Applied  []string `json:"applied"`
	Pruned   []string `json:"pruned,omitempty"`
	Revision int64    `json:"revision,omitempty"`
	Undone   bool     `json:"undone,omitempty"`
	Restored int64    `json:"restored_revision,omitempty"`
	// Requests counts the API calls the deploy made, watches included.
	Requests int64          `json:"api_requests"`
	Steps    []release.Step `json:"steps"`
}
