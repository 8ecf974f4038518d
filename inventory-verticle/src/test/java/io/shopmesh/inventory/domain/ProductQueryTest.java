package io.shopmesh.inventory.domain;

import io.shopmesh.platform.errors.ProblemException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProductQueryTest {

  @Test
  @DisplayName("limit defaults to 20, is capped at 100 and must be a positive integer")
  void limits() {
    assertThat(ProductQuery.of(null, null, null).limit()).isEqualTo(20);
    assertThat(ProductQuery.of(null, null, "7").limit()).isEqualTo(7);
    assertThat(ProductQuery.of(null, null, "1000").limit()).isEqualTo(100);
    assertThat(ProductQuery.of(null, null, "99999999999999999999").limit()).isEqualTo(100);
    assertThatThrownBy(() -> ProductQuery.of(null, null, "0")).isInstanceOf(ProblemException.class);
    assertThatThrownBy(() -> ProductQuery.of(null, null, "ten")).isInstanceOf(ProblemException.class);
  }

  @Test
  @DisplayName("a cursor round-trips and anything else is refused")
  void cursors() {
    String cursor = new PageCursor("MUG-01").encode();
    assertThat(ProductQuery.of(null, cursor, null).after()).contains(new PageCursor("MUG-01"));
    assertThatThrownBy(() -> ProductQuery.of(null, "not a cursor!", null)).isInstanceOf(ProblemException.class);
    assertThatThrownBy(() -> ProductQuery.of(null, "bXVnLTAx", null)).isInstanceOf(ProblemException.class);
  }

  @Test
  @DisplayName("search text matches literally: LIKE wildcards in it are escaped")
  void likePattern() {
    assertThat(ProductQuery.of("  50%_off\\ ", null, null).likePattern()).contains("%50\\%\\_off\\\\%");
    assertThat(ProductQuery.of("  ", null, null).likePattern()).isEqualTo(Optional.empty());
  }
}
