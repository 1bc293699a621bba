package org.lepistream.streams.deadletter;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.lepistream.schemas.DeadLetter;
import org.lepistream.schemas.DeadLetterReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last line of defence: a processor that throws on one record (a bug, not a bad photo — those are handled in the
 * processors) dead-letters that record instead of killing the topology. Failures not tied to a source record
 * (punctuation) fail the thread, which is replaced and resumes from the last commit, losing nothing.
 */
public final class UnexpectedFailureHandler implements ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedFailureHandler.class);

    private DeadLetterTarget target;

    @Override
    public void configure(Map<String, ?> configs) {
        target = DeadLetterTarget.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception e) {
        byte[] raw = context.sourceRawValue();
        if (raw == null) {
            LOG.error("processing failed outside any source record in {} (task {}); the thread will be replaced",
                    context.processorNodeId(), context.taskId(), e);
            return Response.fail();
        }
        LOG.error("processor {} failed on {}-{}@{}; dead-lettering the record", context.processorNodeId(),
                context.topic(), context.partition(), context.offset(), e);
        target.metrics.deadLetters.inc(DeadLetterReason.INVALID_RECORD.name());
        target.metrics.outputs.inc("dead_letter");
        DeadLetter letter = DeadLetters.of(context.topic(), context.partition(), context.offset(),
                context.processorNodeId(), DeadLetterReason.INVALID_RECORD,
                "unexpected processing failure: " + UndecodableSightingHandler.describe(e), context.sourceRawKey(), raw);
        return Response.resume(List.of(target.record(context.sourceRawKey(), letter)));
    }
}
