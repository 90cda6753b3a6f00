"""trust: the workshop's signing keys (facilitator and groups)

Revision ID: 0005_trust
Revises: 0004_exchange
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = '0005_trust'
down_revision = '0004_exchange'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('exchange_key',
    sa.Column('workshop_id', sa.String(), nullable=False),
    sa.Column('group_id', sa.String(), nullable=False),
    sa.Column('public_key', sa.String(), nullable=False),
    sa.Column('private_key', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('workshop_id', 'group_id')
    )


def downgrade() -> None:
    op.drop_table('exchange_key')
