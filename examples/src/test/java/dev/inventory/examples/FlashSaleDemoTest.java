package dev.inventory.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlashSaleDemoTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void memorySellsExactlyTheUnitsThroughDirectAndLotterySales() throws Exception {
        int buyers = 2_000;
        List<FlashSaleDemo.Round> rounds = new FlashSaleDemo(out).run("memory", buyers);

        assertThat(rounds).extracting(FlashSaleDemo.Round::name).containsExactly("direct", "lottery");
        FlashSaleDemo.Round direct = rounds.get(0);
        assertThat(direct.sold()).isEqualTo(100);
        assertThat(direct.oversold()).isZero();
        // every purchase attempt ended somewhere: 2,000 buyers, every 25th clicked twice
        long attempts = buyers + buyers / 25;
        assertThat(direct.sold() + direct.rejected().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(attempts);
        assertThat(direct.rejected()).containsKey("SoldOut");
        assertThat(direct.level().reserved()).isEqualTo(100);
        assertThat(direct.level().available()).isZero();

        FlashSaleDemo.Round lottery = rounds.get(1);
        assertThat(lottery.sold()).isEqualTo(100);
        assertThat(lottery.oversold()).isZero();
        assertThat(lottery.rejected()).containsEntry("LostLottery", (long) buyers - 100);

        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("oversold: 0", "latency (", "p99 ", "sold: 100 of 100");
    }

    @Test
    void redisRunsBothSalesOnTheRedisFlashSaleStore() throws Exception {
        int buyers = 500;
        List<FlashSaleDemo.Round> rounds = new FlashSaleDemo(out).run("redis", buyers);

        assertThat(rounds).extracting(FlashSaleDemo.Round::name).containsExactly("direct", "lottery");
        for (FlashSaleDemo.Round round : rounds) {
            assertThat(round.sold()).isEqualTo(100);
            assertThat(round.oversold()).isZero();
        }
        assertThat(rounds.get(0).level().reserved()).isEqualTo(100);
        assertThat(rounds.get(1).rejected()).containsEntry("LostLottery", (long) buyers - 100);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("NOTE:").contains("oversold: 0");
    }

    @Test
    void postgresRunsBothSalesOnThePostgresFlashSaleStore() throws Exception {
        int buyers = 500;
        List<FlashSaleDemo.Round> rounds = new FlashSaleDemo(out).run("postgres", buyers);

        assertThat(rounds).extracting(FlashSaleDemo.Round::name).containsExactly("direct", "lottery");
        for (FlashSaleDemo.Round round : rounds) {
            assertThat(round.sold()).isEqualTo(100);
            assertThat(round.oversold()).isZero();
        }
        FlashSaleDemo.Round direct = rounds.get(0);
        assertThat(direct.sold() + direct.rejected().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(buyers + buyers / 25);
        assertThat(direct.rejected()).containsKey("SoldOut");
        assertThat(direct.level().reserved()).isEqualTo(100);
        assertThat(direct.level().available()).isZero();
        assertThat(rounds.get(1).rejected()).containsEntry("LostLottery", (long) buyers - 100);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("NOTE:").contains("oversold: 0");
    }
}
