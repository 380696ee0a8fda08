package io.github.onsdelay.test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The application every integration test boots: auto-configuration only. A test adds its own beans with
 * {@code @SpringBootTest(classes = {TestApplication.class, MyListeners.class})}.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class TestApplication {

}
