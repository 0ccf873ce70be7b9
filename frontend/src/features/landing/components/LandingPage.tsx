import VideocamOutlined from "@mui/icons-material/VideocamOutlined";
import { Box, Button, Container, Grid, Paper, Stack, Typography } from "@mui/material";
import { Link as RouterLink } from "react-router";

const POINTS = [
  { title: "Meet from the browser", text: "No installs: share a link and talk, with video, audio and screen sharing." },
  { title: "Yours to run", text: "Self-host it on your own servers, from one machine to many." },
  { title: "Secure by default", text: "Email verification, two-factor authentication and sign-in codes." },
];

export function LandingPage() {
  return (
    <Box component="main" sx={{ minHeight: "100vh", bgcolor: "background.default" }}>
      <Container maxWidth="md" sx={{ py: { xs: 4, sm: 10 } }}>
        <Stack direction="row" spacing={1} sx={{ alignItems: "center", mb: { xs: 5, sm: 8 } }}>
          <VideocamOutlined color="primary" />
          <Typography variant="h6" component="span" sx={{ fontWeight: 700 }}>
            aapoon meet
          </Typography>
        </Stack>
        <Typography variant="h3" component="h1" sx={{ fontWeight: 700, fontSize: { xs: "2rem", sm: "3rem" } }} gutterBottom>
          Video meetings you can host yourself
        </Typography>
        <Typography variant="h6" component="p" color="text.secondary" sx={{ mb: 4, fontWeight: 400 }}>
          Plan, join and run meetings with your team, clients and friends.
        </Typography>
        <Stack direction={{ xs: "column", sm: "row" }} spacing={2} sx={{ mb: 8 }}>
          <Button component={RouterLink} to="/signup" variant="contained" size="large">
            Sign up
          </Button>
          <Button component={RouterLink} to="/signin" variant="outlined" size="large">
            Sign in
          </Button>
        </Stack>
        <Grid container spacing={2}>
          {POINTS.map((point) => (
            <Grid key={point.title} size={{ xs: 12, sm: 4 }}>
              <Paper variant="outlined" sx={{ p: 2.5, height: "100%" }}>
                <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }} gutterBottom>
                  {point.title}
                </Typography>
                <Typography variant="body2" color="text.secondary">
                  {point.text}
                </Typography>
              </Paper>
            </Grid>
          ))}
        </Grid>
      </Container>
    </Box>
  );
}
