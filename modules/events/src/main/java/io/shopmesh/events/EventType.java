package io.shopmesh.events;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names an event contract: its type name (past tense), its schema version and the topic of the
 * bounded context that publishes it. A breaking change to a record needs a new version and a new
 * checked-in schema ({@code schemas/<name>.v<version>.json}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventType {

  String name();

  int version();

  /** One of {@link Topics}, without any deployment prefix. */
  String topic();
}
