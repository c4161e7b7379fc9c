package dev.skiff.orchestrator.port;

import java.util.List;

/**
 * Where Step Functions mode keeps the tasks an execution's history cannot show ({@link TaskRecord}): beside the job
 * specs in S3 when the registry is there, so every replica reads them, else under the data directory. A record is
 * written before the answer that needs it, so a crash in between leaves a record and an unanswered step (which the
 * next delivery answers), never an answer without its record.
 */
public interface TaskRecords {

    /** Keeps the record; keeping the same task's record again overwrites it. Throws when the store cannot be reached. */
    void keep(String runId, TaskRecord record);

    /** Every record of the run, in no particular order; empty for a run that has none. */
    List<TaskRecord> of(String runId);
}
