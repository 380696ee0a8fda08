package io.github.onsdelay.sample

import org.assertj.core.api.Assertions.assertThat
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.Test
import org.springframework.core.ParameterizedTypeReference
import org.springframework.web.client.RestClient
import java.io.File
import java.net.InetAddress
import java.net.ServerSocket
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.TimeUnit

/**
 * The packaged sample app, processed ahead of time by spring-boot-maven-plugin's process-aot, started as a user
 * would with -Dspring.aot.enabled=true: it plays its demos on its embedded broker. Runs after `package` (failsafe).
 */
class SampleApplicationAotIntegrationTests {

    @Test
    fun `the ahead-of-time processed jar starts and plays its demos`() {
        val jar = Path.of("target", "ons-delay-sample-app.jar")
        assertThat(jar).exists()
        val port = ServerSocket(0, 1, InetAddress.getLoopbackAddress()).use { it.localPort }
        val log = Files.createTempFile("sample-aot", ".log")
        val java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java"
        val app = ProcessBuilder(java, "-Dspring.aot.enabled=true", "-jar", jar.toString(), "--server.port=$port",
            "--server.address=127.0.0.1", "--mqs.ons.time-scale=36000")
            .redirectErrorStream(true).redirectOutput(log.toFile()).start()
        try {
            val http = RestClient.create("http://127.0.0.1:$port")
            val timeline = {
                runCatching {
                    http.get().uri("/timeline").retrieve()
                        .body(object : ParameterizedTypeReference<Map<String, List<Map<String, Any?>>>>() {})!!
                }.getOrDefault(emptyMap())
            }
            val events = { demo: String -> timeline()[demo].orEmpty().map { "${it["key"]} ${it["event"]}" } }

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until {
                events("partner-push").contains("report-lost exhausted") && events("coupon-expiry").any { it.endsWith(" closed") }
            }
            assertThat(Files.readString(log)).contains("Starting AOT-processed").doesNotContain("APPLICATION FAILED TO START")
            assertThat(events("unpaid-order")).anyMatch { it.endsWith("cancelled (unpaid)") }
                .anyMatch { it.endsWith("left alone (paid)") }
            assertThat(events("partner-push")).contains("report-ok pushed")
        } finally {
            app.destroy()
            if (!app.waitFor(30, TimeUnit.SECONDS)) {
                app.destroyForcibly()
            }
            println("AOT sample app log: $log")
        }
    }
}
