# shellcheck shell=bash
# Part of deploy/local/sentinel (sourced by it, never run alone): the SMTP capture (GreenMail).
# ---------------------------------------------------------------------------------------
# SMTP capture: GreenMail standalone (SMTP 3025, IMAP 3143, any password)
# ---------------------------------------------------------------------------------------
SMTP_MARKER=greenmail-standalone

smtp_fetch_jar() {
  [[ -f "$SMTP_DIR/greenmail-standalone.jar" ]] && return 0
  say "             fetching GreenMail with Maven (first run only)"
  (cd "$ROOT" && with_maven_lock ./mvnw -q -B -f "$INFRA_JARS_POM" dependency:copy@greenmail \
      -Dgreenmail.dir="$SMTP_DIR" 8>&-) || die "could not fetch GreenMail"
}

smtp_start() {
  local t0 pid argv; t0="$(now_ms)"
  # Normally fetched by smtp_prepare already; Maven here only if GreenMail went away since.
  smtp_fetch_jar
  # SMTP and IMAP on their ports (3025, 3143 unless set), both bound to 127.0.0.1.
  # auth.disabled: any password works and a mailbox exists for every recipient, so IMAP
  # login = the recipient address. No greenmail.hostname: in 2.1.3 it also switches on
  # GreenMail's HTTP API on port 8080, a port we do not want to take.
  argv=(java -Xmx256m -XX:+UseSerialGC -Djava.awt.headless=true
       -Dgreenmail.smtp.hostname=127.0.0.1 -Dgreenmail.smtp.port="$SMTP_PORT_LOCAL"
       -Dgreenmail.imap.hostname=127.0.0.1 -Dgreenmail.imap.port="$IMAP_PORT_LOCAL"
       -Dgreenmail.auth.disabled -Dgreenmail.startup.timeout=20000
       -jar "$SMTP_DIR/greenmail-standalone.jar")
  run_bg smtp "$LOGS/smtp.log" "${argv[@]}"
  pid="$(<"$PIDS/smtp.pid")"
  smtp_wait_ready "$pid"
  report smtp "started  smtp 127.0.0.1:$SMTP_PORT_LOCAL, imap 127.0.0.1:$IMAP_PORT_LOCAL (pid $pid, $(since "$t0"))"
}

smtp_wait_ready() {
  if ! wait_until 60 smtp_ready "$1"; then
    tail -n 30 "$LOGS/smtp.log" >&2 || true
    die "GreenMail did not open ports $SMTP_PORT_LOCAL/$IMAP_PORT_LOCAL"
  fi
}

# Ready when both ports answer; fails fast (exit from the script) if the JVM died.
smtp_ready() {
  alive "$1" || { tail -n 30 "$LOGS/smtp.log" >&2 || true; die "GreenMail exited during start-up"; }
  smtp_answers && imap_answers
}

# Fetch GreenMail with Maven only if this clone may have to start it (none answers).
smtp_prepare() {
  smtp_answers || smtp_fetch_jar
}

# Needs smtp_prepare first. A GreenMail this clone did not start is used, never stopped.
ensure_smtp() {
  local pid
  if smtp_answers; then
    if pid="$(pid_of smtp "$SMTP_MARKER")"; then
      report smtp "reused   smtp 127.0.0.1:$SMTP_PORT_LOCAL, imap 127.0.0.1:$IMAP_PORT_LOCAL (pid $pid, ours)"
    else
      report smtp "reused   smtp 127.0.0.1:$SMTP_PORT_LOCAL (not started by this clone)"
    fi
    return
  fi
  if pid="$(pid_of smtp "$SMTP_MARKER")"; then
    warn "smtp: GreenMail (pid $pid) is not listening; restarting it"
    stop_smtp
  fi
  smtp_start
}

stop_smtp() {
  local pid
  if ! pid="$(pid_of smtp "$SMTP_MARKER")"; then
    if smtp_answers; then
      report smtp "left running (not started by this clone)"
    else
      report smtp "already stopped"
    fi
    return 0
  fi
  stop_pid smtp "$pid" 15
  wait_until 10 port_closed "$SMTP_PORT_LOCAL" || die "smtp: port $SMTP_PORT_LOCAL still open"
  report smtp "stopped  (was pid $pid)"
}


# ---------------------------------------------------------------------------------------
# The mail view (deploy/local/MailView.java): what the capture received, in a browser, and
# /latest.txt?to=ADDRESS&wait=SECONDS for scripts. Started by `up`, stopped by `down`.
# ---------------------------------------------------------------------------------------
MAILVIEW_MARKER=MailView.java

start_mailview() {
  local pid t0; t0="$(now_ms)"
  if pid="$(pid_of mailview "$MAILVIEW_MARKER")"; then
    report mailview "reused   http://127.0.0.1:$MAILVIEW_PORT/ (pid $pid)"
    return
  fi
  port_open "$MAILVIEW_PORT" && die "mailview: port $MAILVIEW_PORT is taken by a process sentinel did not start"
  smtp_fetch_jar
  run_bg mailview "$LOGS/mailview.log" java -Xmx64m -XX:+UseSerialGC \
    -cp "$SMTP_DIR/greenmail-standalone.jar" "$HERE/MailView.java" "$MAILVIEW_PORT" "$IMAP_PORT_LOCAL"
  pid="$(<"$PIDS/mailview.pid")"
  if ! wait_until 30 port_open "$MAILVIEW_PORT"; then
    tail -n 20 "$LOGS/mailview.log" >&2 || true
    die "mailview: does not listen on 127.0.0.1:$MAILVIEW_PORT"
  fi
  report mailview "started  http://127.0.0.1:$MAILVIEW_PORT/ (pid $pid, $(since "$t0"))"
}

stop_mailview() {
  local pid
  if pid="$(pid_of mailview "$MAILVIEW_MARKER")"; then
    stop_pid mailview "$pid" 5
    report mailview "stopped"
  fi
}
