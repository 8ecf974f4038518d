package io.shopmesh.users;

import io.shopmesh.testkit.ArchitectureRules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UsersArchitectureTest {

  @Test
  @DisplayName("the users service uses no other service's code and keeps its domain free of Vert.x")
  void boundaries() {
    ArchitectureRules.checkService("io.shopmesh.users");
  }
}
