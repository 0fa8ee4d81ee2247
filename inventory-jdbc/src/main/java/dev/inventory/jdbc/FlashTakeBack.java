package dev.inventory.jdbc;

import dev.inventory.core.Reservation;
import dev.inventory.core.Transition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The inventory store's part of flash sales ({@link dev.inventory.core.flashsale.FlashSaleStore}):
 * when a buyer's hold is released or expires, the same transaction gives its units back to its
 * open sale's pool (function {@code flash_take_back} of the migration {@code V2__flash_sales.sql}).
 * Called after the transaction locked the holds' levels, so the lock order (level, then sale) is
 * the flash-sale store's.
 */
final class FlashTakeBack {
    private FlashTakeBack() {
    }

    /**
     * Runs the take-back for the holds {@code transition} ends, when it releases or expires them.
     *
     * @return the ids of the holds whose units went back to an open sale: their levels' reserved must stay
     */
    static Set<String> of(Connection c, JdbcConfig config, Transition transition, List<Reservation> holds)
            throws SQLException {
        if (transition != Transition.RELEASE && transition != Transition.EXPIRE) {
            return Set.of();
        }
        List<String> ids = new ArrayList<>(holds.size());
        for (Reservation hold : holds) {
            // a purchase hold always names its buyer and has one line
            if (hold.userId().isPresent() && hold.lines().size() == 1) {
                ids.add(hold.id().value());
            }
        }
        if (ids.isEmpty()) {
            return Set.of();
        }
        Set<String> back = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + config.qualifier() + "flash_take_back(?::text[])")) {
            ps.setArray(1, Rows.texts(c, ids.toArray(new String[0])));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    back.add(rs.getString(1));
                }
            }
        }
        return back;
    }
}
