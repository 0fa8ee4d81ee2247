package dev.inventory.core.flashsale;

import java.util.List;

/**
 * What {@link FlashSaleStore#draw} decided atomically.
 *
 * @param winners the entries drawn, each {@link LotteryEntry.State#WON} with its token id, lowest
 *     score first
 * @param open false when the sale is not selling (not started, past its end or closed): then
 *     nobody was drawn
 */
public record LotteryDraw(List<LotteryEntry> winners, boolean open) {
    /** Copies the list. */
    public LotteryDraw {
        winners = List.copyOf(FlashIds.notNull("winners", winners));
    }
}
