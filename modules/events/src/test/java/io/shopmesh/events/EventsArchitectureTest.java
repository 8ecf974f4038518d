package io.shopmesh.events;

import io.shopmesh.testkit.ArchitectureRules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EventsArchitectureTest {

  @Test
  @DisplayName("the events module depends on no service")
  void dependsOnNoService() {
    ArchitectureRules.checkModules();
  }
}
