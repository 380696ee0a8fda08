package io.github.onsdelay.producer.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The producers of an application, under {@code mqs.ons.producers}.
 */
@ConfigurationProperties("mqs.ons")
public class OnsProducerProperties {

    /** Producers by name: the name is the bean name and what consumers refer to. */
    private Map<String, ProducerProperties> producers = new LinkedHashMap<>();

    public Map<String, ProducerProperties> getProducers() {
        return this.producers;
    }

    public void setProducers(Map<String, ProducerProperties> producers) {
        this.producers = producers;
    }

}
