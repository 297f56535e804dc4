"""Jobs for long drafts: `POST /drafts` answers 202 with a job id, the work goes on elsewhere.

`records` holds the job record and its place in the store; `work` is the body of a job (the
same pipeline as POST /draft, reporting progress); `local` runs jobs in this server process
(the embedded store), `queue` hands them to `postmortem worker` processes through arq on Redis.
"""

from app.jobs.records import JobBook, JobInput, JobRecord, JobState, new_job_id

__all__ = ["JobBook", "JobInput", "JobRecord", "JobState", "new_job_id"]
