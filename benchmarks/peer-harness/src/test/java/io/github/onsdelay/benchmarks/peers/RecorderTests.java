package io.github.onsdelay.benchmarks.peers;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RecorderTests {

    @Test
    void aRetriedBodyFailsOnceThenSucceedsAndFurtherDeliveriesAreDuplicates() throws Exception {
        Recorder recorder = new Recorder('R', 1);
        String body = Recorder.retriedBody("r1");

        assertThatIllegalStateException().isThrownBy(() -> recorder.handle(body));
        assertThat(recorder.completed()).isZero();
        recorder.handle(body);
        recorder.handle(body);

        assertThat(recorder.await(0, TimeUnit.SECONDS)).isTrue();
        assertThat(recorder.completed()).isEqualTo(1);
        assertThat(recorder.duplicates()).isEqualTo(1);
        assertThat(recorder.sorted()[0]).as("failure-to-success gap, µs").isNotNegative();
    }

    @Test
    void aDelayedBodyIsTimedAgainstItsDueTimeAndAnEarlyOneIsNegative() {
        Recorder recorder = new Recorder('L', 2);
        long now = System.currentTimeMillis();

        recorder.handle(Recorder.delayedBody("late", now - 1_000));
        recorder.handle(Recorder.delayedBody("early", now + 60_000));
        recorder.handle(Recorder.delayedBody("late", now - 1_000));

        long[] sorted = recorder.sorted();
        assertThat(sorted).hasSize(2);
        assertThat(sorted[0]).as("early, µs").isLessThan(-50_000_000L);
        assertThat(sorted[1]).as("late, µs").isBetween(1_000_000L, 60_000_000L);
        assertThat(recorder.duplicates()).isEqualTo(1);
    }

    @Test
    void bodiesOfAnotherScenarioAreIgnored() {
        Recorder recorder = new Recorder('L', 1);

        recorder.handle(Recorder.parkedBody("p1"));
        recorder.handle(Recorder.retriedBody("r1"));

        assertThat(recorder.completed()).isZero();
        assertThat(recorder.duplicates()).isZero();
    }

    @Test
    void figuresGoThroughLinesAndBack() {
        PeerResult written = new PeerResult().put("name", "a|b").put("lateness.p99", "1.5");
        PeerResult read = new PeerResult();

        written.toLines().forEach(read::read);

        assertThat(read.read("a log line")).isFalse();
        assertThat(read.figures()).containsEntry("name", "a/b").containsEntry("lateness.p99", "1.5").hasSize(2);
    }

}
