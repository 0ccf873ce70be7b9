import { Box, LinearProgress, List, ListItem, Typography } from "@mui/material";
import type { PollResults as Results } from "../types";

interface PollResultsProps {
  options: string[];
  results: Results;
}

function votes(count: number): string {
  return count === 1 ? "1 vote" : `${count} votes`;
}

/** Share of the people who voted (with several choices each the shares add up to more than 100). */
function percentOf(count: number, voters: number): number {
  return voters ? Math.round((count / voters) * 100) : 0;
}

/** A bar per option: its text, votes and share; each bar is a progressbar named by its option. */
export function PollResults({ options, results }: PollResultsProps) {
  return (
    <Box>
      <List dense disablePadding aria-label="Results">
        {options.map((option, index) => {
          const count = results.counts[index] ?? 0;
          const percent = percentOf(count, results.voters);
          return (
            <ListItem key={option} disableGutters sx={{ display: "block", py: 0.5 }}>
              <Box sx={{ display: "flex", justifyContent: "space-between", gap: 1 }}>
                <Typography variant="body2" sx={{ overflowWrap: "anywhere" }}>
                  {option}
                </Typography>
                <Typography variant="body2" color="text.secondary" sx={{ whiteSpace: "nowrap" }}>
                  {votes(count)} · {percent}%
                </Typography>
              </Box>
              <LinearProgress
                variant="determinate"
                value={percent}
                aria-label={option}
                aria-valuetext={`${votes(count)}, ${percent}%`}
                sx={{ height: 8, borderRadius: 1 }}
              />
            </ListItem>
          );
        })}
      </List>
      <Typography variant="caption" color="text.secondary">
        {results.voters === 1 ? "1 person voted" : `${results.voters} people voted`}
      </Typography>
    </Box>
  );
}
