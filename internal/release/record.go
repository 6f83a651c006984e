package release

import "time"

// Record is one release of a service as its target keeps it: a container
// on one Docker host, a Deployment's revision on Kubernetes.
type Record struct {
	// Release names it: the container's release stamp, or the revision.
	Release   string    `json:"release"`
	Revision  int64     `json:"revision,omitempty"`  // Kubernetes
	Container string    `json:"container,omitempty"` // one Docker host
	Image     string    `json:"image"`
	Images    []string  `json:"images,omitempty"` // every container's, Kubernetes
	Created   time.Time `json:"created,omitzero"`
	// Running: it serves (the running container; the Deployment's
	// current revision).
	Running bool  `json:"running"`
	State   State `json:"state"`
	// Undone says why shipshape undid this release, when it did.
	Undone string `json:"undone,omitempty"`
}

// State is where a release stands.
type State string

const (
	Running State = "running" // serving now
	Stopped State = "stopped" // kept for a rollback
	Undone  State = "undone"  // failed and was undone; a rollback skips it
)
