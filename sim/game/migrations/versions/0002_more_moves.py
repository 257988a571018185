"""decisions: further moves of a state in a step (the model's hook takes several a step)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('decisions', sa.Column('more_json', sa.Text(), nullable=True))
    op.add_column('decisions', sa.Column('rec_more_json', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('decisions') as batch:
        batch.drop_column('rec_more_json')
        batch.drop_column('more_json')
