import { Box, useMediaQuery, useTheme } from "@mui/material";
import { VideoTile, type VideoTileProps } from "./VideoTile";

export type TileSpec = VideoTileProps & { key: string };

function gridShape(count: number, narrow: boolean): { columns: number; rows: number } {
  const columns = narrow ? (count <= 2 ? 1 : 2) : Math.max(1, Math.ceil(Math.sqrt(count)));
  return { columns, rows: Math.max(1, Math.ceil(count / columns)) };
}

/** The tiles in as square a grid as the count allows, filling the space it is given. */
export function VideoGrid({ tiles }: { tiles: TileSpec[] }) {
  const theme = useTheme();
  const narrow = useMediaQuery(theme.breakpoints.down("sm"));
  const { columns, rows } = gridShape(tiles.length, narrow);
  return (
    <Box
      sx={{
        flex: 1,
        minWidth: 0,
        minHeight: 0,
        p: 1,
        display: "grid",
        gap: 1,
        gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
        gridTemplateRows: `repeat(${rows}, minmax(140px, 1fr))`,
        overflowY: "auto",
      }}
    >
      {tiles.map(({ key, ...tile }) => (
        <VideoTile key={key} {...tile} />
      ))}
    </Box>
  );
}
