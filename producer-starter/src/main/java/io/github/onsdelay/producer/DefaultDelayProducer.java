package io.github.onsdelay.producer;

/**
 * A producer declared in {@code application.yml} only: one bean per {@code mqs.ons.producers} entry that
 * no {@link AbstractProducer} subclass covers, named after its key. Inject it as {@link DelayProducer}
 * with {@code @Qualifier("<key>")}.
 */
public final class DefaultDelayProducer extends AbstractProducer {

    public DefaultDelayProducer(String name) {
        super(name);
    }

}
