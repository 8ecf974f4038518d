package io.shopmesh.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving tests a {@link TestEnv} parameter (in constructors, lifecycle methods
 * or test methods): the JVM-wide embedded infrastructure, sliced per test class.
 */
public final class InfraExtension implements ParameterResolver, AfterAllCallback {

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(InfraExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestEnv.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return env(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    TestEnv env = classStore(context).remove(TestEnv.class, TestEnv.class);
    if (env != null) {
      env.dropDatabases();
    }
  }

  private static TestEnv env(ExtensionContext context) {
    return classStore(context).getOrComputeIfAbsent(TestEnv.class, k -> new TestEnv(TestInfra.get()), TestEnv.class);
  }

  private static ExtensionContext.Store classStore(ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    return classContext.getStore(NS);
  }
}
