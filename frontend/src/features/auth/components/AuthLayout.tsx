import { Box, Container, Link, Paper, Stack, Typography } from "@mui/material";
import type { ReactNode } from "react";
import { Link as RouterLink } from "react-router";

/** The centred card every signed-out page sits in. */
export function AuthLayout({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  return (
    <Box component="main" sx={{ minHeight: "100vh", bgcolor: "background.default", py: { xs: 3, sm: 8 } }}>
      <Container maxWidth="xs">
        <Link component={RouterLink} to="/" underline="none" sx={{ display: "block", mb: 3, textAlign: "center" }}>
          <Typography variant="h5" component="span" sx={{ fontWeight: 700 }}>
            aapoon meet
          </Typography>
        </Link>
        <Paper sx={{ p: { xs: 2.5, sm: 4 } }}>
          <Stack spacing={2.5}>
            <Typography variant="h5" component="h1">
              {title}
            </Typography>
            {intro && (
              <Typography variant="body2" color="text.secondary">
                {intro}
              </Typography>
            )}
            {children}
          </Stack>
        </Paper>
      </Container>
    </Box>
  );
}
