package io.shopmesh.users;

import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.ServiceChecks;
import io.shopmesh.testkit.TestEnv;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InfraExtension.class)
class UsersStartupTest {

  @Test
  @DisplayName("the users service starts against real infrastructure and is live, ready and measured")
  void startsReady(TestEnv env) {
    try (UsersFixture users = UsersFixture.start(env)) {
      ServiceChecks.assertOperable(users.service());
    }
  }
}
