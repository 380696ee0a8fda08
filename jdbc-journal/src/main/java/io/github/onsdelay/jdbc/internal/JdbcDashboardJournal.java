package io.github.onsdelay.jdbc.internal;

import java.util.List;

import io.github.onsdelay.consumer.actuate.OnsDashboardJournal;
import io.github.onsdelay.core.PayloadConversionException;
import io.github.onsdelay.jdbc.ExhaustedMessages;
import io.github.onsdelay.jdbc.ReplayResult;
import io.github.onsdelay.producer.CancelResult;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.producer.OnsProducerRegistry;

/**
 * The journal's side of the live page: its exhausted messages without their bodies (a conversion error, which
 * quotes the body, in words that do not), their replay, and the cancel of a business key through the producer that
 * sent it.
 */
public final class JdbcDashboardJournal implements OnsDashboardJournal {

    private final ExhaustedMessages exhausted;

    private final OnsProducerRegistry producers;

    public JdbcDashboardJournal(ExhaustedMessages exhausted, OnsProducerRegistry producers) {
        this.exhausted = exhausted;
        this.producers = producers;
    }

    @Override
    public List<Exhausted> exhausted(int limit) {
        return exhausted.list(null, limit).stream()
            .map(m -> new Exhausted(m.id(), m.group(), m.producer(), m.businessKey(), m.attempt(), m.reason(),
                m.lastError() == null ? null : PayloadConversionException.withoutBody(m.lastError()), m.exhaustedAt(),
                m.replayCount()))
            .toList();
    }

    @Override
    public String replay(long id) {
        ReplayResult result = exhausted.replay(id);
        return "Exhausted message " + id + " sent again as attempt " + result.attempt() + ", due now (message "
            + result.messageId() + "; replay " + result.replayCount() + ")";
    }

    @Override
    public String cancel(String producer, String businessKey) {
        DelayProducer found = producers.findProducer(producer);
        if (found == null) {
            throw new IllegalArgumentException("No producer '" + producer + "': the producers are "
                + producers.getProducerNames());
        }
        CancelResult result = found.cancel(businessKey);
        if (!result.journaled()) {
            return "Key " + businessKey + " of " + producer + " cancelled: the journal knew no send of it, so its "
                + "handler is skipped if a message of it arrives";
        }
        return "Key " + businessKey + " of " + producer + " cancelled: " + result.recalled() + " recalled from the "
            + "broker, " + result.withdrawn() + " withdrawn from the outbox";
    }

}
