package io.github.onsdelay.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BenchmarkOptionsTests {

    @Test
    void withoutArgumentsTheFullRunHasThreeRoundsAndEveryScenarioButTheCostThatObservabilityRuns() {
        BenchmarkOptions options = BenchmarkOptions.parse();

        assertThat(options.quick()).isFalse();
        assertThat(options.rounds()).isEqualTo(3);
        assertThat(options.peers()).isFalse();
        assertThat(options.scenarios()).extracting(Scenario::name).containsExactly("send", "consume", "observability",
            "lateness-100ms", "burst", "midnight", "flash-sale", "retry", "journal", "lateness-1000ms",
            "lateness-1000ms-busy", "first-second", "tls", "capacity");
    }

    @Test
    void onlyRunsTheNamedScenariosInTheRunsOrderWhateverTheirOrderOnTheCommandLine() {
        BenchmarkOptions options = BenchmarkOptions.parse("--quick", "--rounds=1", "--only=lateness-1000ms,send",
            "--only=observation-cost");

        assertThat(options.quick()).isTrue();
        assertThat(options.rounds()).isEqualTo(1);
        assertThat(options.scenarios()).extracting(Scenario::name)
            .containsExactly("send", "observation-cost", "lateness-1000ms");
    }

    @Test
    void anUnknownScenarioFailsAtOnceWithTheValidNames() {
        assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("--only=journal,lateness"))
            .withMessageContaining("no scenario is named 'lateness'")
            .withMessageContaining("send, consume, observability, observation-cost, lateness-100ms, burst, midnight, "
                + "flash-sale, retry, journal, lateness-1000ms, lateness-1000ms-busy, first-second, tls, capacity");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("--only="))
            .withMessageContaining("no scenario is named ''");
    }

    @Test
    void roundsMustBeAPositiveWholeNumber() {
        assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("--rounds=0"))
            .withMessageContaining("--rounds=0");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("--rounds=three"))
            .withMessageContaining("--rounds=three");
    }

    @Test
    void anUnknownArgumentFailsWithTheUsage() {
        assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("--round=5"))
            .withMessageContaining("Unknown argument '--round=5'")
            .withMessageContaining(BenchmarkOptions.USAGE);
    }

    @Test
    void peersTakePeerNotOnly() {
        BenchmarkOptions options = BenchmarkOptions.parse("--peers", "--quick", "--peer=kafka");

        assertThat(options.peers()).isTrue();
        assertThat(options.peer()).isEqualTo("kafka");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("--peers", "--only=send"))
            .withMessageContaining("--peer=NAME");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("--peer=kafka"))
            .withMessageContaining("needs --peers");
    }

}
