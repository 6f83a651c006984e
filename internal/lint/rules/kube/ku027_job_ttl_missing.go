package kube

import (
	batchv1 "k8s.io/api/batch/v1"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU027", Name: "job-ttl-missing", Severity: lint.Info,
			KubeLinter:  []string{"job-ttl-seconds-after-finished"},
			Summary:     "A Job has no ttlSecondsAfterFinished.",
			Rationale:   "Finished Jobs and their pods stay forever; a migration Job per release piles up and re-applying the same Job name fails because it exists.",
			Fix:         "`ttlSecondsAfterFinished: 3600`.",
			Differences: "Jobs created by a CronJob are cleaned by its history limits and not judged.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			if job, ok := o.Typed.(*batchv1.Job); ok && job.Spec.TTLSecondsAfterFinished == nil {
				r.AddKube(o, o.At("spec", "ttlSecondsAfterFinished"), "Job %s is never cleaned up after it finishes", o.Name)
			}
		},
	})
}
