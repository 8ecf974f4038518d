package io.shopmesh.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The server.properties of a single-node KRaft cluster: one process is broker and controller. */
final class KafkaServerProperties {

  private KafkaServerProperties() {
  }

  static void write(Path file, Path logDir, int port, int controllerPort) {
    String broker = "127.0.0.1:" + port;
    String controller = "127.0.0.1:" + controllerPort;
    List<String> lines = List.of(
        "# Written by Shopmesh devstack at every start; edits are overwritten.",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@" + controller,
        "listeners=PLAINTEXT://" + broker + ",CONTROLLER://" + controller,
        "advertised.listeners=PLAINTEXT://" + broker,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + logDir,
        "num.partitions=3",
        // One broker: every internal topic has a single replica, and the group coordinator's
        // topic a single partition so the first consumer group does not wait for 50 of them.
        "default.replication.factor=1",
        "min.insync.replicas=1",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        // Topics are part of the contract: services create theirs explicitly.
        "auto.create.topics.enable=false",
        "");
    try {
      Files.createDirectories(logDir);
      Files.writeString(file, String.join("\n", lines));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
