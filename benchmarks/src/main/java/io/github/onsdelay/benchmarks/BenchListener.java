package io.github.onsdelay.benchmarks;

import java.util.function.BiPredicate;

import io.github.onsdelay.consumer.DeliveryContext;
import io.github.onsdelay.consumer.OnsListener;

/** The library side's handler; what it does is set per scenario. */
public class BenchListener {

    static volatile BiPredicate<Payload, DeliveryContext> handler = (payload, context) -> true;

    @OnsListener(producer = "${bench.producer}", group = "${bench.group}")
    public boolean handle(Payload payload, DeliveryContext context) {
        return handler.test(payload, context);
    }

}
