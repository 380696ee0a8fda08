package io.github.onsdelay.consumer.actuate;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.github.onsdelay.consumer.OnsListenerContainer;
import io.github.onsdelay.consumer.OnsListenerEvents;
import io.github.onsdelay.consumer.OnsListenerRegistry;
import io.github.onsdelay.core.SendFigures;
import io.github.onsdelay.core.TimedMessageSender;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.producer.OnsProducerRegistry;
import io.github.onsdelay.producer.ProducerSettings;

/**
 * Builds an {@link OnsDelayReport} from the producer and listener registries, for the endpoint and the page.
 */
public class OnsDelayReporter {

    private static final SendFigures NO_SENDS = new SendFigures(0, 0, 0);

    private final OnsProducerRegistry producers;

    private final OnsListenerRegistry listeners;

    private final OnsListenerEvents events;

    private final TimedMessageSender sender;

    public OnsDelayReporter(OnsProducerRegistry producers, OnsListenerRegistry listeners, OnsListenerEvents events,
            TimedMessageSender sender) {
        this.producers = producers;
        this.sender = sender;
        this.listeners = listeners;
        this.events = events;
    }

    public OnsDelayReport report() {
        Map<String, SendFigures> sends = sender.figures();
        List<OnsDelayReport.Producer> producerReports = producers.getProducers().stream()
            .map(DelayProducer::getSettings)
            .sorted(Comparator.comparing(ProducerSettings::name))
            .map(settings -> producer(settings, sends.getOrDefault(settings.name(), NO_SENDS)))
            .toList();
        List<OnsDelayReport.Listener> listenerReports = listeners.getListenerContainers().stream()
            .sorted(Comparator.comparing(OnsListenerContainer::getId))
            .map(OnsDelayReporter::listener)
            .toList();
        return new OnsDelayReport(producerReports, listenerReports, events.getRecentEvents());
    }

    public static OnsDelayReport.Listener listener(OnsListenerContainer container) {
        return new OnsDelayReport.Listener(container.getId(), container.getGroup(), container.getProducer(),
            container.getSubscription(), container.getListenerDescription(), container.getState().name(),
            container.getConcurrency(), container.isAutoStartup(), container.getFigures());
    }

    private static OnsDelayReport.Producer producer(ProducerSettings settings, SendFigures figures) {
        return new OnsDelayReport.Producer(settings.name(), settings.topic(), settings.tag(),
            settings.schedule().initialDelay().toString(),
            settings.schedule().delays().stream().map(Duration::toString).toList(),
            settings.sendTimeout().toString(), settings.deliveryLead().toString(), figures);
    }

}
