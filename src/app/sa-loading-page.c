/* sa-loading-page.c: a spinner, a line of text, a progress bar and Cancel
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cancel cancels the GCancellable it was given; whoever started the work sees that in its
 * callback.  The page keeps no other state.
 */
#include "config.h"

#include "sa-loading-page.h"

struct _SaLoadingPage
{
  AdwBin parent_instance;

  GtkSpinner *spinner;
  GtkLabel *label;
  GtkProgressBar *progress;
  GtkButton *cancel;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (SaLoadingPage, sa_loading_page, ADW_TYPE_BIN)

void
sa_loading_page_set_text (SaLoadingPage *self, const char *text)
{
  g_return_if_fail (SA_IS_LOADING_PAGE (self));
  gtk_label_set_label (self->label, text);
}

void
sa_loading_page_set_fraction (SaLoadingPage *self, double fraction)
{
  g_return_if_fail (SA_IS_LOADING_PAGE (self));
  gtk_widget_set_visible (GTK_WIDGET (self->progress), fraction >= 0);
  if (fraction >= 0)
    gtk_progress_bar_set_fraction (self->progress, MIN (fraction, 1));
}

void
sa_loading_page_start (SaLoadingPage *self, const char *text, double fraction,
                       GCancellable *cancellable)
{
  g_return_if_fail (SA_IS_LOADING_PAGE (self));
  sa_loading_page_set_text (self, text);
  sa_loading_page_set_fraction (self, fraction);
  g_set_object (&self->cancellable, cancellable);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel), cancellable != NULL);
  gtk_spinner_start (self->spinner);
}

void
sa_loading_page_stop (SaLoadingPage *self)
{
  g_return_if_fail (SA_IS_LOADING_PAGE (self));
  gtk_spinner_stop (self->spinner);
  g_clear_object (&self->cancellable);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
}

static void
on_cancel_clicked (SaLoadingPage *self)
{
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
}

static void
sa_loading_page_dispose (GObject *object)
{
  SaLoadingPage *self = SA_LOADING_PAGE (object);

  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), SA_TYPE_LOADING_PAGE);
  G_OBJECT_CLASS (sa_loading_page_parent_class)->dispose (object);
}

static void
sa_loading_page_class_init (SaLoadingPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sa_loading_page_dispose;
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/soundalike/Soundalike/sa-loading-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SaLoadingPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SaLoadingPage, label);
  gtk_widget_class_bind_template_child (widget_class, SaLoadingPage, progress);
  gtk_widget_class_bind_template_child (widget_class, SaLoadingPage, cancel);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
}

static void
sa_loading_page_init (SaLoadingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
