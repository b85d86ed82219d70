"""Background jobs of the evaluation: run a requested job, purge expired result files."""

from celery import Task, shared_task

from oncoparcours.evaluation import jobs

MAX_RETRIES = 3
BACKOFF_SECONDS = 60  # 1 min, 2 min, 4 min


@shared_task(
    bind=True,
    name="oncoparcours.evaluation.tasks.run_evaluation_job",
    max_retries=MAX_RETRIES,
    acks_late=True,
)
def run_evaluation_job(self: Task, public_id: str) -> str:
    try:
        return jobs.job_run(public_id)
    except jobs.TransientJobError as exc:
        if self.request.retries >= MAX_RETRIES:
            job = jobs.EvaluationJob.objects.get(public_id=public_id)
            jobs.job_fail(job, "job.database_unavailable")
            return jobs.JobStatus.FAILED
        raise self.retry(countdown=BACKOFF_SECONDS * 2**self.request.retries, exc=exc) from None


@shared_task(name="oncoparcours.evaluation.tasks.purge_expired_results", acks_late=True)
def purge_expired_results() -> int:
    return jobs.purge_expired_results()
